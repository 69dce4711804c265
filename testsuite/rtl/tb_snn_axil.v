// Unit test of snn_axil: writes with the address before, after and with the data, byte
// strobes, reads through a register file of latency 3, random ready on B and R, reads and
// writes at once; the channel rules (a response held until taken, read data stable while
// not taken, one write strobe per write, no response before both halves of a write) and
// the turns (no write strobe while a read waits for its data) checked every clock.
`timescale 1ns / 1ps
module tb_snn_axil;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg rst = 1'b1;
    reg [7:0] awaddr = 8'd0, araddr = 8'd0;
    reg awvalid = 1'b0, wvalid = 1'b0, bready = 1'b0, arvalid = 1'b0, rready = 1'b0;
    reg [31:0] wdata = 32'd0;
    reg [3:0] wstrb = 4'd0;
    wire awready, wready, bvalid, arready, rvalid;
    wire [1:0] bresp, rresp;
    wire [31:0] rdata;
    wire wr_en, rd_en;
    wire [7:0] wr_addr, rd_addr;
    wire [31:0] wr_data;
    wire [3:0] wr_strb;
    reg [31:0] rd_data;

    snn_axil #(.ADDR_W(8), .READ_LATENCY(3)) dut (
        .clk(clk), .rst(rst),
        .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
        .s_axil_wdata(wdata), .s_axil_wstrb(wstrb), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
        .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(bready),
        .s_axil_araddr(araddr), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
        .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
        .wr_en(wr_en), .wr_addr(wr_addr), .wr_data(wr_data), .wr_strb(wr_strb),
        .rd_en(rd_en), .rd_addr(rd_addr), .rd_data(rd_data)
    );

    // The register file: 16 words at byte addresses 4·i, byte strobes, read latency 3.
    reg [31:0] regs [0:15];
    reg [31:0] pipe1, pipe2;
    integer i;
    initial for (i = 0; i < 16; i = i + 1) regs[i] = 32'd0;
    always @(posedge clk) begin
        if (wr_en) begin
            if (wr_strb[0]) regs[wr_addr[5:2]][7:0] <= wr_data[7:0];
            if (wr_strb[1]) regs[wr_addr[5:2]][15:8] <= wr_data[15:8];
            if (wr_strb[2]) regs[wr_addr[5:2]][23:16] <= wr_data[23:16];
            if (wr_strb[3]) regs[wr_addr[5:2]][31:24] <= wr_data[31:24];
        end
        pipe1 <= rd_en ? regs[rd_addr[5:2]] : 32'hxxxxxxxx;
        pipe2 <= pipe1;
        rd_data <= pipe2;
    end

    // ------------------------------------------------------------------ the rules, every clock
    integer errors = 0, strobes = 0, responses = 0, writes_done = 0;
    integer aw_taken = 0, w_taken = 0;
    reg was_bvalid = 1'b0, was_rvalid = 1'b0, was_bready = 1'b0, was_rready = 1'b0;
    reg [31:0] last_rdata = 32'd0;
    reg read_waiting = 1'b0;          // from rd_en until the read's data is in R
    always @(posedge clk) begin
        if (!rst) begin
            if (wr_en && (rd_en || read_waiting)) begin
                errors = errors + 1; $display("FAIL a write strobe while a read waits");
            end
            if (rd_en) read_waiting = 1'b1;
            else if (rvalid) read_waiting = 1'b0;
            if (wr_en) strobes = strobes + 1;
            if (awvalid && awready) aw_taken = aw_taken + 1;
            if (wvalid && wready) w_taken = w_taken + 1;
            if (was_bvalid && !was_bready && !bvalid) begin
                errors = errors + 1; $display("FAIL B dropped before it was taken");
            end
            if (was_rvalid && !was_rready && (!rvalid || rdata !== last_rdata)) begin
                errors = errors + 1; $display("FAIL R changed before it was taken");
            end
            if (bvalid && bresp !== 2'b00) begin errors = errors + 1; $display("FAIL BRESP"); end
            if (rvalid && rresp !== 2'b00) begin errors = errors + 1; $display("FAIL RRESP"); end
            if (bvalid && bready) responses = responses + 1;
            if (responses > aw_taken || responses > w_taken) begin
                errors = errors + 1; $display("FAIL a response before both halves of its write");
            end
        end
        was_bvalid = bvalid; was_bready = bready;
        was_rvalid = rvalid; was_rready = rready;
        last_rdata = rdata;
    end

    // Random ready on the response channels.
    integer seed = 7;
    always @(negedge clk) begin
        bready <= ($random(seed) & 3) != 0;
        rready <= ($random(seed) & 3) != 0;
    end

    // One write: AW and W each after their own delay (0 to 3 clocks), then its response.
    task write(input [7:0] addr, input [31:0] data, input [3:0] strb, input integer aw_delay,
               input integer w_delay);
        begin
            fork
                begin
                    repeat (aw_delay) @(negedge clk);
                    awaddr = addr; awvalid = 1'b1;
                    @(posedge clk); while (!awready) @(posedge clk);
                    @(negedge clk) awvalid = 1'b0;
                end
                begin
                    repeat (w_delay) @(negedge clk);
                    wdata = data; wstrb = strb; wvalid = 1'b1;
                    @(posedge clk); while (!wready) @(posedge clk);
                    @(negedge clk) wvalid = 1'b0;
                end
            join
            while (!(bvalid && bready)) @(posedge clk);
            writes_done = writes_done + 1;
            @(negedge clk);
        end
    endtask

    // One read; fails unless it returns `expect`.
    task read(input [7:0] addr, input [31:0] expect);
        begin
            @(negedge clk);
            araddr = addr; arvalid = 1'b1;
            @(posedge clk); while (!arready) @(posedge clk);
            @(negedge clk) arvalid = 1'b0;
            while (!(rvalid && rready)) @(posedge clk);
            if (rdata !== expect) begin
                errors = errors + 1;
                $display("FAIL read %h: %h, expected %h", addr, rdata, expect);
            end
        end
    endtask

    // Two writes with both beats of one channel sent before either of the other's (data
    // first, or addresses first): the second beat must wait until the first write is done,
    // not replace the first one's.
    task write_pair(input [7:0] a0, input [31:0] d0, input [7:0] a1, input [31:0] d1,
                    input data_first);
        integer got;
        begin
            got = 0;
            fork
                begin
                    if (!data_first) repeat (4) @(negedge clk);
                    wdata = d0; wstrb = 4'hf; wvalid = 1'b1;
                    @(posedge clk); while (!wready) @(posedge clk);
                    @(negedge clk) wdata = d1;
                    @(posedge clk); while (!wready) @(posedge clk);
                    @(negedge clk) wvalid = 1'b0;
                end
                begin
                    if (data_first) repeat (4) @(negedge clk);
                    awaddr = a0; awvalid = 1'b1;
                    @(posedge clk); while (!awready) @(posedge clk);
                    @(negedge clk) awaddr = a1;
                    @(posedge clk); while (!awready) @(posedge clk);
                    @(negedge clk) awvalid = 1'b0;
                end
                while (got < 2) begin
                    @(posedge clk);
                    if (bvalid && bready) got = got + 1;
                end
            join
            writes_done = writes_done + 2;
            @(negedge clk);
        end
    endtask

    reg [31:0] model [0:15];
    integer n, a;
    initial begin
        #200000;
        $display("FAIL timeout: a handshake never came");
        $finish;
    end
    reg [31:0] value;
    reg [3:0] strb;
    initial begin
        for (n = 0; n < 16; n = n + 1) model[n] = 32'd0;
        repeat (3) @(negedge clk);
        rst = 1'b0;
        // Full words: address first, data first, both together.
        for (n = 0; n < 48; n = n + 1) begin
            a = $random(seed) & 15;
            value = $random(seed);
            strb = (n < 16) ? 4'hf : $random(seed);
            write(a * 4, value, strb, $random(seed) & 3, $random(seed) & 3);
            if (strb[0]) model[a][7:0] = value[7:0];
            if (strb[1]) model[a][15:8] = value[15:8];
            if (strb[2]) model[a][23:16] = value[23:16];
            if (strb[3]) model[a][31:24] = value[31:24];
        end
        for (n = 0; n < 16; n = n + 1) read(n * 4, model[n]);
        // Back-to-back reads and writes.
        for (n = 0; n < 16; n = n + 1) begin
            write(n * 4, ~model[n], 4'hf, 0, 0);
            model[n] = ~model[n];
            read(n * 4, model[n]);
        end
        // Reads and writes at once, on different registers.
        for (n = 0; n < 8; n = n + 1) begin
            fork
                write(n * 4, 32'hC000_0000 + n, 4'hf, n & 3, (n >> 1) & 3);
                read(32 + n * 4, model[8 + n]);
            join
            model[n] = 32'hC000_0000 + n;
        end
        // Data ahead of addresses, and addresses ahead of data.
        for (n = 0; n < 8; n = n + 1) begin
            write_pair(n * 8, 32'hA000_0000 + n, n * 8 + 4, 32'hB000_0000 + n, n[0]);
            model[2 * n] = 32'hA000_0000 + n;
            model[2 * n + 1] = 32'hB000_0000 + n;
        end
        for (n = 0; n < 16; n = n + 1) read(n * 4, model[n]);
        repeat (8) @(negedge clk);
        if (strobes != writes_done || responses != writes_done) begin
            errors = errors + 1;
            $display("FAIL %0d writes, %0d strobes, %0d responses", writes_done, strobes, responses);
        end
        if (errors == 0) $display("PASS snn_axil (%0d writes, 56 reads)", writes_done);
        $finish;
    end
endmodule
